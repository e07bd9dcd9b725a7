package io.conveyor.cdk.coldstart;

/**
 * Runs in a fresh JVM with only the Lambda jar (and this class) on the class path, and does what Lambda's INIT
 * phase does for a Java handler: load the handler class and run its public no-argument constructor, which reads
 * the configuration and builds the SDK clients. Prints one line, {@code INIT <load ms> <construct ms> <classes>
 * <process cpu ms>}, for {@link InitTimes}; the CPU time (JVM start included) is steadier than wall time on a busy
 * machine. Uses nothing but the JDK, so it adds nothing to what it measures.
 */
public final class InitProbe {
    private InitProbe() {}

    public static void main(String[] args) throws Exception {
        String handler = args[0];
        long start = System.nanoTime();
        Class<?> type;
        try {
            type = Class.forName(handler);
        } catch (ClassNotFoundException e) {
            System.out.println("MISSING " + handler);
            System.exit(3);
            return;
        }
        long loaded = System.nanoTime();
        type.getDeclaredConstructor().newInstance();
        long constructed = System.nanoTime();
        // Read after the measurement: the management beans load classes of their own.
        int classes = java.lang.management.ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        long cpuMs = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
        System.out.printf(java.util.Locale.ROOT, "INIT %.1f %.1f %d %d%n", (loaded - start) / 1e6, (constructed - loaded) / 1e6,
                classes, cpuMs);
        // SDK clients may leave non-daemon threads; INIT is over.
        System.exit(0);
    }
}
