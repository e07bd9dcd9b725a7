package io.conveyor.cdk.coldstart;

import io.conveyor.cdk.DeploymentOptions;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.Resource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints, for every function of the deployment catalogue, how long its INIT phase takes in a fresh JVM: loading
 * the handler class and constructing it (configuration read, SDK clients built), with the environment the CDK
 * stack gives it (placeholder resource names, a region, dummy credentials, and endpoints pointing at a closed
 * local port, since construction must not call AWS). Each function runs in {@code --runs} fresh JVMs; the table
 * shows the median and the range of class loading plus construction (wall time), the classes loaded, and the
 * median CPU time of the whole process (JVM start included: steadier than wall time on a busy machine). The
 * target is {@value #TARGET_MS} ms. Exits 1 when a handler misses it or cannot be built.
 *
 * <pre>
 * infra/cdk/init-times.sh [--runs 5] [--java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java] [--jar path/to/lambda.jar]
 * </pre>
 *
 * The JVM runs with the options Lambda's Java runtimes start it with by default (AWS Lambda Developer Guide,
 * "Customize Java runtime startup behavior for Lambda functions"): tiered compilation stopped at level 1 (C1 only) on
 * {@code java17} and {@code java21}, and on {@code java25} except for functions with SnapStart or provisioned
 * concurrency, whose JVM keeps its default tiered compilation; the serial collector; the JDK's default class data
 * sharing archive. {@code --jvm-options} replaces them: the stack's {@code java25} functions, which use SnapStart,
 * are measured with {@code --jvm-options "-XX:+UseSerialGC -Xshare:auto"}.
 */
public final class InitTimes {
    static final int TARGET_MS = 400;
    static final String LAMBDA_JVM_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto";

    private InitTimes() {}

    /** One fresh-JVM measurement. */
    record Run(double loadMs, double constructMs, int classes, long cpuMs) {
        double totalMs() {
            return loadMs + constructMs;
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("target/lambda/conveyor-functions-lambda.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jvmOptions = LAMBDA_JVM_OPTIONS;
        int runs = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--java" -> java = args[++i];
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--jvm-options" -> jvmOptions = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --jar, --java, --runs, --jvm-options");
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: run `mvn -B verify -pl infra/cdk` first");
        }
        Path probe = Path.of(InitProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classPath = jar.toAbsolutePath() + File.pathSeparator + probe;

        System.out.printf("INIT phase per handler: %s, %d fresh JVMs each, %s %s%n", jar, runs, java, jvmOptions);
        System.out.printf("%-20s %-48s %9s %9s %9s %8s %9s  %s%n", "function", "handler", "median", "min", "max",
                "classes", "cpu", "target " + TARGET_MS + " ms");
        int over = 0;
        for (FunctionSpec spec : Catalogue.FUNCTIONS) {
            List<Run> measured = new ArrayList<>();
            String problem = null;
            for (int i = 0; i < runs && problem == null; i++) {
                Object result = measure(java, jvmOptions, classPath, spec);
                if (result instanceof Run run) {
                    measured.add(run);
                } else {
                    problem = (String) result;
                }
            }
            if (problem != null) {
                System.out.printf("%-20s %-48s %s%n", spec.name(), spec.handler(), problem);
                over++;
                continue;
            }
            List<Double> totals = measured.stream().map(Run::totalMs).sorted().toList();
            double median = totals.get(totals.size() / 2);
            boolean ok = median <= TARGET_MS;
            over += ok ? 0 : 1;
            long cpu = measured.stream().mapToLong(Run::cpuMs).sorted().toArray()[measured.size() / 2];
            System.out.printf(Locale.ROOT, "%-20s %-48s %6.0f ms %6.0f ms %6.0f ms %8d %6d ms  %s%n",
                    spec.name(), spec.handler(), median, totals.get(0), totals.get(totals.size() - 1),
                    measured.get(0).classes(), cpu, ok ? "ok" : "OVER");
        }
        System.exit(over == 0 ? 0 : 1);
    }

    /** A {@link Run}, or what went wrong. */
    private static Object measure(String java, String jvmOptions, String classPath, FunctionSpec spec)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        command.addAll(List.of("-cp", classPath, InitProbe.class.getName(), spec.handler()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment(spec));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        for (String line : output.lines().toList()) {
            if (line.startsWith("INIT ")) {
                String[] f = line.split(" ");
                return new Run(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]));
            }
            if (line.startsWith("MISSING ")) {
                return "not in the jar";
            }
        }
        String tail = output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
        return "failed (exit " + exit + "): " + tail;
    }

    /** What the stack gives the function, with placeholders for what only a deployment knows. */
    static Map<String, String> environment(FunctionSpec spec) {
        Map<Resource, String> names = new EnumMap<>(Resource.class);
        for (Resource resource : Resource.values()) {
            names.put(resource, "conveyor-init-" + resource.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        names.put(Resource.JOB_WORKFLOWS, "arn:aws:states:eu-west-1:123456789012:stateMachine:" + Catalogue.WORKFLOW_PREFIX);
        names.put(Resource.EVENT_BUS, Catalogue.EVENT_BUS);
        Map<String, String> env = new LinkedHashMap<>(Catalogue.environment(spec, names));
        env.putAll(DeploymentOptions.defaults().functionSettings());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIAINITPROBE0000000");
        env.put("AWS_SECRET_ACCESS_KEY", "init-probe-secret");
        env.put("AWS_SESSION_TOKEN", "init-probe-token");
        // Nothing listens on port 9 (discard): a constructor that calls AWS fails at once instead of hanging.
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "conveyor-" + spec.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("_HANDLER", spec.handler());
        env.put("TZ", ":UTC");
        return env;
    }
}
