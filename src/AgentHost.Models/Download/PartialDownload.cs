namespace AgentHost.Models;

/// <summary>
/// The in-progress files of one download: <c>FILE.partial</c> (the bytes so far) and <c>FILE.partial.etag</c>
/// (which version of the remote file those bytes belong to, so a resume never splices two versions together).
/// Only <see cref="Complete"/> makes the file appear under its final name, by atomic rename.
/// </summary>
internal sealed class PartialDownload(string finalPath)
{
    public string FinalPath { get; } = finalPath;
    public string PartialPath { get; } = finalPath + ".partial";
    public string ValidatorPath { get; } = finalPath + ".partial.etag";

    /// <summary>Bytes already downloaded (0 when there is no partial file).</summary>
    public long Length => File.Exists(PartialPath) ? new FileInfo(PartialPath).Length : 0;

    /// <summary>The validator (SHA-256 or ETag) recorded when the partial file was started; null if none was known.</summary>
    public string? ReadValidator() => File.Exists(ValidatorPath) ? File.ReadAllText(ValidatorPath).Trim() : null;

    public void WriteValidator(string? validator)
    {
        if (validator is null) File.Delete(ValidatorPath);
        else File.WriteAllText(ValidatorPath, validator);
    }

    /// <summary>Throws the bytes away (checksum mismatch, or the remote file changed).</summary>
    public void Delete()
    {
        File.Delete(PartialPath);
        File.Delete(ValidatorPath);
    }

    /// <summary>Publishes the verified file under its final name.</summary>
    public void Complete()
    {
        File.Move(PartialPath, FinalPath, overwrite: true);
        File.Delete(ValidatorPath);
    }
}
