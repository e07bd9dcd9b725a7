package io.conveyor.local.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.dashboard.HeadlessChromium;
import io.conveyor.scenarios.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How long the dashboard's job page takes to show a job of many subjobs, printed, not asserted: the canvas's draw
 * of every cell (the page's own {@code conveyor:subjobs-draw} measure), and the time from opening the job's page to
 * the drawn picture (the job and every page of its subjobs read from the API, then drawn). One finished
 * {@code primes} job of {@code --subjobs} subjobs on the local runtime, opened {@code --runs} times in headless
 * Chromium.
 *
 * <p>Run (with Debian's chromium and chromium-driver installed), without installing anything into the local Maven
 * repository: {@code mvn -B -q -o -pl local -am test-compile dependency:build-classpath -Dcds.skip
 * -Dmdep.outputFile=/tmp/cp -Dmdep.includeScope=test && java -cp local/target/test-classes:local/target/classes:$(cat /tmp/cp)
 * io.conveyor.local.benchmark.DashboardDrawBenchmark --subjobs 10000 --runs 5}. Measured 2026-12-06 on the 2-core
 * build machine with other builds running: draw 16 to 26 ms (median 21), opened to drawn 0.43 to 0.92 s (median 0.61).
 */
public final class DashboardDrawBenchmark {
    public static void main(String[] args) throws Exception {
        int subJobs = intArg(args, "--subjobs", 10_000);
        int runs = intArg(args, "--runs", 5);
        if (!HeadlessChromium.installed()) {
            System.out.println("needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
            System.exit(2);
        }
        Path profile = Files.createTempDirectory("dashboard-benchmark");
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntimeOptions.builder().schedules(false).build())) {
            JobApiClient api = new JobApiClient(runtime.apiEndpoint(), "bench");
            JobApiClient.Response created = api.post("/jobs", "{\"program\": \"primes\", \"parameters\": {\"to\": "
                    + subJobs + ", \"subJobs\": " + subJobs + "}, \"submit\": true}");
            String id = created.json().path("job").path("jobId").asText();
            // A finished job is the subject; how fast it ran is LocalRuntimeBenchmark's.
            JsonNode job = Scenarios.awaitEnd(api, id, Duration.ofMinutes(15));
            System.out.printf("job %s: %s, %d subjobs%n", id, job.path("status").asText(), job.at("/progress/total").asInt());

            ChromeDriver browser = HeadlessChromium.start(profile);
            try {
                browser.get(runtime.dashboardAddress().orElseThrow().toString());
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(By.id("user")))
                        .sendKeys("bench");
                browser.findElement(By.id("sign-in")).click();
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("signed-in-user"), "bench"));
                List<Double> draws = new ArrayList<>();
                List<Double> opens = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    browser.executeScript("location.hash = '#/jobs'");
                    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.jobs")));
                    browser.executeScript("performance.clearMeasures(); window.benchmarkStart = performance.now(); "
                            + "location.hash = '#/jobs/' + arguments[0]", id);
                    new WebDriverWait(browser, Duration.ofMinutes(2), Duration.ofMillis(20)).until(d -> String.valueOf(subJobs)
                            .equals(d.findElement(By.cssSelector(".subjob-canvas")).getAttribute("data-count")));
                    @SuppressWarnings("unchecked")
                    List<Object> measure = (List<Object>) browser.executeScript("const m = performance.getEntriesByName("
                            + "'conveyor:subjobs-draw').pop(); "
                            + "return [m.duration, m.startTime + m.duration - window.benchmarkStart];");
                    draws.add(((Number) measure.get(0)).doubleValue());
                    opens.add(((Number) measure.get(1)).doubleValue());
                }
                System.out.printf("draw of %d cells (ms): %s; median %.1f%n", subJobs, draws, median(draws));
                System.out.printf("open to drawn (ms), job and %d pages of subjobs from the API: %s; median %.0f%n",
                        (subJobs + 999) / 1000, opens, median(opens));
            } finally {
                browser.quit();
            }
        }
        System.exit(0); // a program run in-process may leave non-daemon threads behind
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
