"""The shared core: the domain's words, its error type and who the caller is. Imports no app of the project."""
