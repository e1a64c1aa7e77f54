// placeholder, replaced by the tests of the command-line tool
