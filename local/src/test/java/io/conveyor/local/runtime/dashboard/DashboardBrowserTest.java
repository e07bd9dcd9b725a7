package io.conveyor.local.runtime.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import io.conveyor.scenarios.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard end to end in headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs),
 * against one local runtime shared by every test: what a user does on the page, checked on the page. Screenshots go
 * to target/dashboard-screenshots/.
 */
@EnabledIf(value = "browserInstalled", disabledReason = "Browser tests need Debian's chromium and chromium-driver "
        + "(/usr/bin/chromium, /usr/bin/chromedriver): apt-get install -y chromium chromium-driver (.ci/run does)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    /** Whole jobs at the tests' time scale, on a 2-core machine shared with other builds. */
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    /** The scenario programs and one whose subjobs run on external workers, for the workers page. */
    private static final String PROGRAMS = Scenarios.PROGRAMS.strip().replaceFirst("]$", """
            , {"name": "primes-external", "implementation": "java:io.conveyor.programs.primes.PrimesProgram",
               "worker": "external", "external": {"capabilities": [], "heartbeatSeconds": 60}, "subJobTimeoutSeconds": 600}]""");

    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .schedules(false)
            .environment("CONVEYOR_PROGRAMS", PROGRAMS)
            .build());

    private static ChromeDriver browser;

    static boolean browserInstalled() {
        return HeadlessChromium.installed();
    }

    @BeforeAll
    static void startBrowser(@TempDir Path profile) throws IOException {
        browser = HeadlessChromium.start(profile);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void signIn_createAJobWithTwoFilesFromThePage_andWatchItSucceedWithoutReloading(@TempDir Path dir) throws IOException {
        Path first = Files.writeString(dir.resolve("first.txt"), "the quick brown fox jumps over the lazy dog the end");
        Path second = Files.writeString(dir.resolve("second.txt"), "the fox and the dog and the fox again");
        signIn("alice");
        browser.findElement(By.linkText("New job")).click();
        WebElement program = await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#program option[value='word-frequency']")));
        new Select(browser.findElement(By.id("program"))).selectByValue(program.getAttribute("value"));
        WebElement top = browser.findElement(By.id("parameter-top"));
        assertEquals(List.of("number", "10", "1", "1000"), List.of(top.getAttribute("type"), top.getAttribute("value"),
                top.getAttribute("min"), top.getAttribute("max")), "word-frequency's declared 'top', with its default and limits");
        top.clear();
        top.sendKeys("3");
        browser.findElement(By.id("files")).sendKeys(first.toAbsolutePath() + "\n" + second.toAbsolutePath());
        assertEquals(2, browser.findElements(By.cssSelector(".files li")).size(), "both files listed before the upload");
        browser.executeScript("window.conveyorNoReload = true");

        browser.findElement(By.id("submit-job")).click();

        await(ExpectedConditions.urlContains("#/jobs/"));
        String jobId = browser.getCurrentUrl().substring(browser.getCurrentUrl().indexOf("#/jobs/") + "#/jobs/".length());
        awaitStatus("SUCCEEDED", JOB_TIMEOUT);
        assertEquals(Boolean.TRUE, browser.executeScript("return window.conveyorNoReload === true"),
                "the page followed the job to its end without a reload");
        assertTrue(browser.findElement(By.id("download")).isDisplayed(), "the result can be downloaded");
        assertTrue(browser.findElement(By.id("job-cost")).getText().matches("\\$0\\.\\d+ \\(Step Functions \\$.*, at the prices of \\d{4}-\\d{2}-\\d{2}"),
                "the job's cost, per category, with the price table's date: " + browser.findElement(By.id("job-cost")).getText());
        assertTrue(browser.findElement(By.cssSelector(".details")).getText().contains("second.txt"));
        assertEquals("2", browser.findElement(By.cssSelector(".subjob-canvas")).getAttribute("data-count"),
                "word-frequency splits two files into two subjobs, both drawn");
        JsonNode job = RUNTIME.api("alice").get("/jobs/" + jobId).json().path("job");
        assertEquals("SUCCEEDED", job.path("status").asText(), "the API agrees with the page");
        assertEquals(2, job.path("inputs").size(), "both files were uploaded through their presigned URLs");
        assertEquals("3", job.path("parameters").path("top").asText(), "the form's value, sent as the parameter");
        screenshot("job-succeeded");
    }

    @Test
    @Order(2)
    void aFailedSubjobsError_isOneClickAwayOnTheJobsPage() {
        String jobId = createAndSubmit("alice", "{\"program\":\"scenario\",\"parameters\":{\"subJobs\":300,"
                + "\"failIndexes\":\"7,211\"},\"submit\":true}");
        signIn("alice");
        open("#/jobs/" + jobId);
        awaitStatus("SUCCEEDED", JOB_TIMEOUT); // 2 failures in 300 are within the program's 25 % tolerance

        await(ExpectedConditions.elementToBeClickable(By.cssSelector("button.failed-subjob[data-index='7']"))).click();

        WebElement error = await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".subjob-error")));
        assertTrue(error.getText().contains("subjob 7 cannot be done"), error.getText());
        String detail = browser.findElement(By.cssSelector(".subjob-detail")).getText();
        assertTrue(detail.contains("Subjob #7") && detail.contains("FAILED"), detail);
        assertTrue(detail.matches("(?s).*Attempts\\s+[1-9].*"), "the attempts are shown: " + detail);
        List<WebElement> runs = browser.findElements(By.cssSelector(".subjob-runs li"));
        assertFalse(runs.isEmpty(), "what ran each attempt is shown: " + detail);
        for (int i = 0; i < runs.size(); i++) {
            assertEquals("attempt " + (i + 1) + ": function RunSubJob", runs.get(i).getText(), detail);
        }

        // The other failure, by a click on its cell in the picture.
        WebElement canvas = browser.findElement(By.cssSelector(".subjob-canvas"));
        assertEquals("300", canvas.getAttribute("data-count"));
        int cell = Integer.parseInt(canvas.getAttribute("data-cell"));
        int columns = Integer.parseInt(canvas.getAttribute("data-columns"));
        int x = (211 % columns) * cell + cell / 2 - canvas.getSize().getWidth() / 2;
        int y = (211 / columns) * cell + cell / 2 - canvas.getSize().getHeight() / 2;
        new Actions(browser).moveToElement(canvas, x, y).click().perform();
        await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".subjob-error"), "subjob 211 cannot be done"));
        screenshot("job-failed-subjob");
    }

    @Test
    @Order(3)
    void aRunningJob_isCancelledThenRetriedFromThePage() {
        String jobId = createAndSubmit("alice", "{\"program\":\"scenario\",\"parameters\":{\"subJobs\":3,\"workMillis\":4000},"
                + "\"submit\":true}");
        signIn("alice");
        open("#/jobs/" + jobId);
        awaitStatus("RUNNING", JOB_TIMEOUT);

        browser.findElement(By.id("cancel")).click();
        awaitStatus("CANCELLED", JOB_TIMEOUT);
        assertEquals("CANCELLED", RUNTIME.api("alice").get("/jobs/" + jobId).json().path("job").path("status").asText());

        await(ExpectedConditions.elementToBeClickable(By.id("retry"))).click();
        awaitStatus("SUCCEEDED", JOB_TIMEOUT);
        JsonNode job = RUNTIME.api("alice").get("/jobs/" + jobId).json().path("job");
        assertEquals(2, job.path("attempts").size(), "the retry ran as a second attempt: " + job);
        assertEquals(2, browser.findElements(By.cssSelector(".timeline li")).size(), "both attempts on the timeline");
    }

    @Test
    @Order(4)
    void anotherUsersJob_isNotFound() {
        String bobsJob = createAndSubmit("bob", "{\"program\":\"scenario\",\"parameters\":{\"subJobs\":1},\"submit\":true}");
        signIn("alice");
        open("#/jobs/" + bobsJob);
        WebElement heading = await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main h1")));
        await(ExpectedConditions.textToBePresentInElement(heading, "Job not found"));
        assertTrue(browser.findElement(By.cssSelector("main .error")).getText().contains("NotFound")
                || browser.findElement(By.cssSelector("main .error")).getText().contains("not found"));
        open("#/jobs");
        await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.jobs tbody tr")));
        assertTrue(browser.findElements(By.cssSelector("tr[data-job-id='" + bobsJob + "']")).isEmpty(),
                "bob's job is not in alice's list");
    }

    @Test
    @Order(5)
    void theJobsPage_listsTheCallersJobsNewestFirst_andFiltersThemByStatus() {
        signIn("alice");
        WebElement table = await(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.jobs tbody")));
        List<String> listed = table.findElements(By.cssSelector("tr")).stream().map(r -> r.getAttribute("data-job-id")).toList();
        JsonNode api = RUNTIME.api("alice").get("/jobs?limit=25").json().path("jobs");
        assertEquals(api.size(), listed.size());
        for (int i = 0; i < api.size(); i++) {
            assertEquals(api.get(i).path("jobId").asText(), listed.get(i), "the API's order, newest first");
        }
        screenshot("jobs");

        new Select(browser.findElement(By.id("filter-program"))).selectByValue("word-frequency");
        await(ExpectedConditions.urlContains("program=word-frequency"));
        await(d -> d.findElements(By.cssSelector("table.jobs tbody tr")).size() == 1);
        assertTrue(browser.findElement(By.cssSelector("table.jobs tbody")).getText().contains("word-frequency"));
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("FAILED");
        await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("p.empty")));
        assertFalse(browser.findElement(By.cssSelector("p.empty")).getText().isEmpty());
    }

    @Test
    @Order(6)
    void thePrograms_showTheirLimitsPolicies_andTheirSubjobStatisticsAsCharts() {
        signIn("alice");
        browser.findElement(By.linkText("Programs")).click();
        WebElement scenario = await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("section.program[data-program='scenario']")));
        String text = scenario.getText();
        assertTrue(text.contains("10 subjobs at once") && text.contains("25 %"), "the catalogue's limits: " + text);
        assertTrue(text.contains("3 attempts") && text.contains("full jitter"), "the retry policy: " + text);
        assertFalse(scenario.findElements(By.cssSelector("svg.chart")).isEmpty(),
                "the scenario jobs above ran subjobs, shown as charts: " + text);
    }

    @Test
    @Order(7)
    void aProgramsPage_drawsItsLastDayHourByHour_andTheKeyboardChoosesAnHour() {
        signIn("alice");
        browser.findElement(By.linkText("Programs")).click();
        await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("section.program[data-program='scenario']")))
                .findElement(By.linkText("Hour by hour")).click();
        WebElement charts = await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("figure.hourly-charts")));
        assertFalse(charts.findElements(By.cssSelector("svg.durations circle.dot.p95")).isEmpty(),
                "the scenario jobs above ran subjobs this hour: " + charts.getText());
        assertFalse(charts.findElements(By.cssSelector("svg.errors rect.bar.errors")).isEmpty());
        WebElement readout = charts.findElement(By.cssSelector(".readout"));
        String anHourWithSubjobs = "\\d\\d:00 UTC: \\d+ subjobs?, p50 .*, p95 .*, errors .*";
        assertTrue(readout.getText().matches(anHourWithSubjobs), "the latest hour with subjobs, chosen at first: "
                + readout.getText());
        String latest = charts.getAttribute("data-hour");

        charts.sendKeys(Keys.HOME);
        assertTrue(readout.getText().endsWith("no subjob ended"), "24 hours ago, before the runtime started: " + readout.getText());
        charts.sendKeys(Keys.END);
        assertTrue(charts.getAttribute("data-hour").compareTo(latest) >= 0, "End goes to the current hour: "
                + charts.getAttribute("data-hour") + " after " + latest);
        screenshot("program-hourly");
    }

    @Test
    @Order(8)
    void theWorkersPage_showsTheCallersWorkersAndWhatTheyHold_andTheJobPageWhichWorkerRunsASubjob() throws IOException {
        String jobId = createAndSubmit("alice", "{\"program\":\"primes-external\",\"parameters\":{\"from\":\"1\","
                + "\"to\":\"1000\",\"subJobs\":\"1\"},\"submit\":true}");
        // Before any worker of alice's runs, the job page says that its subjob waits for one, and how to start it.
        signIn("alice");
        open("#/jobs/" + jobId);
        WebElement waiting = new WebDriverWait(browser, JOB_TIMEOUT, Duration.ofMillis(100)).until(
                ExpectedConditions.visibilityOfElementLocated(By.id("waiting-for-workers")));
        assertTrue(waiting.getText().startsWith("1 subjob waits for an external worker of alice"), waiting.getText());
        assertTrue(waiting.getText().contains("conveyor worker --program primes-external"), waiting.getText());

        JobApiClient.Response registered = RUNTIME.api("alice").post("/workers",
                "{\"programs\": [\"primes-external\"], \"name\": \"browser-box\", \"leaseSeconds\": 600}");
        assertEquals(201, registered.status(), registered.text());
        String workerId = registered.json().path("workerId").asText();
        JobApiClient.Response held = RUNTIME.api("alice").post("/workers/" + workerId + "/poll?waitSeconds=20", "");
        assertEquals(200, held.status(), "the worker took the job's one subjob: " + held.text());

        signIn("alice");
        browser.findElement(By.linkText("Workers")).click();
        WebElement row = await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("table.workers tr[data-worker-id='" + workerId + "']")));
        String text = row.getText();
        assertTrue(text.contains("browser-box") && text.contains("ALIVE"), text);
        WebElement holding = row.findElement(By.cssSelector("a.held"));
        assertEquals(jobId.substring(0, 8) + "#0", holding.getText());
        screenshot("workers");

        // Keyboard only: from the held subjob's link to its job, then the picture's first cell with Enter.
        holding.sendKeys(Keys.ENTER);
        await(ExpectedConditions.urlContains("#/jobs/" + jobId));
        WebElement canvas = await(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".subjob-canvas[data-count='1']")));
        canvas.sendKeys(Keys.ENTER);
        WebElement run = await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".subjob-runs li")));
        assertEquals("attempt 1: worker browser-box (" + workerId.substring(0, 8) + ")", run.getText());
    }

    /** Opens the dashboard afresh and signs in as {@code user}, as a person types it once. */
    private static void signIn(String user) {
        browser.get(RUNTIME.runtime().dashboardAddress().orElseThrow(() -> new AssertionError(
                "the dashboard's files are not on the test class path")).toString());
        await(ExpectedConditions.elementToBeClickable(By.id("user"))).sendKeys(user);
        browser.findElement(By.id("sign-in")).click();
        await(ExpectedConditions.textToBe(By.id("signed-in-user"), user));
    }

    private static void open(String fragment) {
        browser.executeScript("location.hash = arguments[0]", fragment);
    }

    private static void awaitStatus(String status, Duration timeout) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(100))
                .withMessage(() -> "job status " + status + "; the page shows " + browser.findElements(By.id("job-status"))
                        .stream().map(WebElement::getText).toList() + ", reading: " + browser.findElement(By.tagName("body")).getText())
                .until(ExpectedConditions.textToBe(By.id("job-status"), status));
    }

    private static <T> T await(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100)).until(condition);
    }

    private static String createAndSubmit(String user, String body) {
        JobApiClient.Response created = RUNTIME.api(user).post("/jobs", body);
        assertTrue(created.status() == 201 || created.status() == 202, created.text());
        return created.json().path("job").path("jobId").asText();
    }

    private static void screenshot(String name) throws RuntimeException {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        try {
            Files.move(png, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
