package io.conveyor.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI takes from the process it runs in, passed in so tests can run it in-process with their own.
 *
 * @param env         the environment variables
 * @param home        the user's home directory (for {@code ~/.conveyor/config})
 * @param workingDir  the directory relative paths and downloads start from
 * @param terminal    whether standard error is a terminal (progress bars are drawn only then)
 * @param width       the terminal's width in columns
 */
public record CliContext(Map<String, String> env, Path home, Path workingDir, boolean terminal, int width) {
    /** The running process's: its environment, its home, {@code user.dir}, and whether it has a console. */
    public static CliContext ofProcess() {
        Map<String, String> env = System.getenv();
        int width = 100;
        try {
            width = Math.max(40, Integer.parseInt(env.getOrDefault("COLUMNS", "100").strip()));
        } catch (NumberFormatException e) {
            // Keep the default.
        }
        boolean terminal = System.console() != null && !"dumb".equals(env.get("TERM"));
        return new CliContext(env, home(env, System.getProperty("user.home")), Path.of("").toAbsolutePath(), terminal, width);
    }

    /**
     * {@code $HOME} when it is set, as every Unix tool reads it; else the JVM's {@code user.home}, which the JDK takes
     * from the password database and which ignores {@code HOME}.
     */
    static Path home(Map<String, String> env, String userHome) {
        String home = env.get("HOME");
        return Path.of(home == null || home.isBlank() ? userHome : home);
    }
}
