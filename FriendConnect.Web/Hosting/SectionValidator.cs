using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Hosting;

/// <summary>Validates a settings class by its annotations and <see cref="IValidatableObject"/>, naming each bad key in full ("Email:Smtp:Port").</summary>
public sealed class SectionValidator<T>(string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{string.Join(", ", r.MemberNames.DefaultIfEmpty("").Select(m => m.Length == 0 ? section : $"{section}:{m}"))}: {r.ErrorMessage}"));
    }
}
