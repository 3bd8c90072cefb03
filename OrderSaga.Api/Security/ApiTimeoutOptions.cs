using System.ComponentModel.DataAnnotations;

namespace OrderSaga.Api.Security;

/// <summary>
/// How long a request may take before it is abandoned with 503: a hung database must not pile up requests.
/// Redis calls have their own, shorter timeouts and fall back to the database.
/// </summary>
public sealed class ApiTimeoutOptions
{
    public const string Section = "Timeouts";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Request { get; set; } = TimeSpan.FromSeconds(10);
}
