namespace OrderSaga.Benchmarks;

/// <summary>One status line that rewrites itself on a terminal, and plain lines when output is redirected.</summary>
public static class Progress
{
    public static void Report(string status)
    {
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine($"    {status}");
        }
        else
        {
            Console.Write($"\r    {status}".PadRight(Math.Max(Console.WindowWidth - 1, 20)));
        }
    }

    public static void Done(string line)
    {
        if (!Console.IsOutputRedirected)
        {
            Console.Write("\r".PadRight(Math.Max(Console.WindowWidth - 1, 20)) + "\r");
        }

        Console.WriteLine(line);
    }
}
