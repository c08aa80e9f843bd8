"""The one error type the job reports as-is, and how Java/Spark errors are turned into one readable line."""


class JobError(Exception):
    """Bad input or a failed step; str(error) is the one line printed after "als_job: "."""


def first_line(text: object) -> str:
    """The first non-blank line of a message, trimmed."""
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


def java_causes(error: BaseException) -> list[str]:
    """The messages of a Java exception and its causes, outermost first (first lines only): from a Py4JJavaError,
    or from one of PySpark's captured exceptions (AnalysisException, …), which keep the Java one as _origin."""
    java = getattr(error, "java_exception", None) or getattr(error, "_origin", None)
    messages: list[str] = []
    seen = 0
    while java is not None and seen < 20:
        try:
            message = java.getMessage()
            messages.append(first_line(message if message is not None else java.toString()))
            java = java.getCause()
        except Exception:  # the gateway is gone: keep what we have
            break
        seen += 1
    return [m for m in messages if m]


def describe(error: BaseException) -> str:
    """One line for any exception: the Java message for Spark errors, the message for the rest."""
    causes = java_causes(error)
    if causes:
        return causes[0]
    line = first_line(error)
    return line if line else type(error).__name__
