pytest_plugins = ["fakegram.pytest_plugin"]
