using System.Diagnostics;

namespace OrderSaga.AppHost.Security;

/// <summary>
/// Issues bearer tokens for the api in Development exactly as the README shows:
/// <c>dotnet user-jwts create --project OrderSaga.Api --name u1</c>. The first call creates the signing key in
/// the api's user secrets, so issue one before the api starts.
/// </summary>
public sealed class DevelopmentTokens(string apiProjectPath)
{
    /// <summary>Tokens for this solution's api project.</summary>
    public static DevelopmentTokens ForApi() => new(new Projects.OrderSaga_Api().ProjectPath);

    // user-jwts rewrites the project's user secrets (the signing key, the issued tokens) on every call: two at once
    // lose one, or one reads the file half-written. One at a time in the process, whichever instance asks: the tests
    // run the AppHost and several token issuers in one process.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>A new token with the given <c>user-jwts create</c> options, such as <c>--expires-on</c>.</summary>
    public async Task<string> CreateAsync(params string[] options)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["user-jwts", "create", "--project", apiProjectPath, "--output", "token", .. options])
        {
            start.ArgumentList.Add(argument);
        }

        await OneAtATime.WaitAsync();
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet user-jwts did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var token = (await output).Trim();
            return process.ExitCode == 0 && token.Count(c => c == '.') == 2
                ? token
                : throw new InvalidOperationException($"dotnet user-jwts create {string.Join(' ', options)} failed ({process.ExitCode}): {token} {await error}");
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}
