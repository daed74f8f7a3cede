"""The desktop interface (Qt): windows, lists, forms and dialogs over the services."""
