"""The exceptions that carry a Chinese message for the clerk.

`AppError` is any failure the user can act on (bad file, missing year …); the command line prints its
message and exits 1, the GUI shows it in a message box. `ValidationError` names the field at fault so a
form can show the message beside it; `ValidationErrors` carries every problem of one record at once.
"""


class AppError(Exception):
    """A failure explained in Chinese, for the clerk; never shown with a traceback."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(AppError):
    """A value that breaks a rule. `field` is the model field name ('' for the record as a whole)."""

    def __init__(self, field: str, message: str, *, label: str = ""):
        self.field = field
        self.label = label
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.label}:{self.message}" if self.label else self.message

    @property
    def errors(self) -> list["ValidationError"]:
        """Every problem this exception reports (one here; several in `ValidationErrors`)."""
        return [self]

    @staticmethod
    def raise_all(problems: list["ValidationError"]) -> None:
        """Raise the problems found in one record: nothing for none, the one itself, or `ValidationErrors`."""
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise ValidationErrors(problems)


class ValidationErrors(ValidationError):
    """Several problems of one record, reported at once. It is the first problem to a caller that handles one
    ValidationError (`field`, `label`, `message`); `errors` lists them all and `str()` joins them."""

    def __init__(self, problems: list[ValidationError]):
        flat = [one for problem in problems for one in problem.errors]
        if not flat:
            raise ValueError("ValidationErrors needs at least one problem")
        first = flat[0]
        super().__init__(first.field, first.message, label=first.label)
        self._errors = flat

    def __str__(self) -> str:
        return ";".join(str(one) for one in self._errors)

    @property
    def errors(self) -> list[ValidationError]:
        return list(self._errors)


class Cancelled(AppError):
    """Work stopped because the clerk pressed 取消; nothing was written. The task runner shows no error for it."""

    is_cancel = True

    def __init__(self, message: str = "操作已取消,未作任何修改。"):
        super().__init__(message)


class NotFoundError(AppError):
    """A record, unit or campaign year that does not exist."""
