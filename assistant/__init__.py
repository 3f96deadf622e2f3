"""Answers from the documents: retrieval, extractive answers with citations, chat, and the command line."""
