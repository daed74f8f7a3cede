"""The command line: the headless way to every use case. It never imports Qt."""
