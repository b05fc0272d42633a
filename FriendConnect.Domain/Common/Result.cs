namespace FriendConnect.Domain.Common;

public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
    LimitReached,
}

/// <summary>What went wrong, in words a user can act on. <see cref="Field"/> names the input at fault, if any.</summary>
public sealed record DomainError(ErrorKind Kind, string Message, string? Field = null)
{
    /// <summary>With <see cref="ErrorKind.LimitReached"/>: how long until the action is allowed again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static DomainError LimitReached(string message, TimeSpan retryAfter) =>
        new(ErrorKind.LimitReached, message) { RetryAfter = retryAfter };

    public static DomainError Validation(string message, string? field = null) => new(ErrorKind.Validation, message, field);
    public static DomainError NotFound(string message) => new(ErrorKind.NotFound, message);
    public static DomainError Conflict(string message) => new(ErrorKind.Conflict, message);
    public static DomainError Forbidden(string message) => new(ErrorKind.Forbidden, message);
}

public class Result
{
    protected Result(IReadOnlyList<DomainError> errors) => Errors = errors;

    public IReadOnlyList<DomainError> Errors { get; }
    public bool Succeeded => Errors.Count == 0;
    public DomainError? Error => Errors.Count > 0 ? Errors[0] : null;

    public static Result Success() => new([]);
    public static Result Failure(DomainError error) => new([error]);

    public static implicit operator Result(DomainError error) => Failure(error);
}

public sealed class Result<T> : Result
{
    private Result(T? value, IReadOnlyList<DomainError> errors) : base(errors) => Value = value;

    public T? Value { get; }

    public static Result<T> Success(T value) => new(value, []);
    public static new Result<T> Failure(DomainError error) => new(default, [error]);
    public static Result<T> Failure(IReadOnlyList<DomainError> errors) => new(default, errors);

    public static implicit operator Result<T>(T value) => Success(value);
    public static implicit operator Result<T>(DomainError error) => Failure(error);
}
