namespace Agents.Testing;

/// <summary>
/// The base of a test class that needs a throwaway folder (<see cref="Temp"/>) and a test PKI
/// (<see cref="Pki"/>): xunit makes one instance per test, so each test gets its own, removed after it.
/// </summary>
public abstract class TempPkiTest : IDisposable
{
    protected TempDirectory Temp { get; } = new();
    protected TestPki Pki { get; } = new();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A class holding more overrides this, disposes its own, then calls the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        Pki.Dispose();
        Temp.Dispose();
    }
}
