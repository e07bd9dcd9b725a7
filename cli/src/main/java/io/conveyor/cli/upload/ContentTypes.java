package io.conveyor.cli.upload;

import java.util.Locale;
import java.util.Map;

/**
 * Guesses a file's content type from its extension, the same on every machine (unlike
 * {@code Files.probeContentType}, which asks the operating system). Unknown extensions are
 * {@code application/octet-stream}.
 */
public final class ContentTypes {
    public static final String DEFAULT = "application/octet-stream";
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("txt", "text/plain"), Map.entry("text", "text/plain"), Map.entry("log", "text/plain"),
            Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"), Map.entry("tsv", "text/tab-separated-values"),
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("xml", "application/xml"),
            Map.entry("json", "application/json"), Map.entry("jsonl", "application/x-ndjson"),
            Map.entry("ndjson", "application/x-ndjson"), Map.entry("yaml", "application/yaml"),
            Map.entry("yml", "application/yaml"), Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"), Map.entry("tgz", "application/gzip"), Map.entry("bz2", "application/x-bzip2"),
            Map.entry("zst", "application/zstd"), Map.entry("tar", "application/x-tar"),
            Map.entry("parquet", "application/vnd.apache.parquet"), Map.entry("avro", "application/avro"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("svg", "image/svg+xml"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("wav", "audio/wav"), Map.entry("mp4", "video/mp4"));

    private ContentTypes() {}

    /** The content type for a file name, by its last extension. */
    public static String guess(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}
