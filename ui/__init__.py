"""The Gradio chat: formatting answers for display and the app itself."""
