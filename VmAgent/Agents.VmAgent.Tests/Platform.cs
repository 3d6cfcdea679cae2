// These tests drive real processes (/bin/sh, /proc) and Unix file modes: they run on Linux.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
