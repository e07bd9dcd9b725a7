package io.conveyor.local.runtime.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard's files as the runtime serves them: from the dashboard module's jar, with a CSP on every answer. */
class DashboardFilesTest {
    private final DashboardFiles files = new DashboardFiles(getClass().getClassLoader(), URI.create("http://127.0.0.1:9000"));

    @Test
    void index_isTheDashboardsPage_withAPolicyAllowingOnlyThisOriginAndTheLocalS3() {
        assertTrue(files.present(), "the dashboard module's jar is on the test class path");
        DashboardFiles.Answer index = files.serve("GET", "/dashboard/");
        assertEquals(200, index.status());
        assertEquals(List.of("text/html; charset=utf-8"), index.headers().get("Content-Type"));
        assertTrue(new String(index.body(), StandardCharsets.UTF_8).contains("<script type=\"module\" src=\"js/main.js\">"));
        String csp = index.headers().get("Content-Security-Policy").get(0);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertTrue(csp.contains("connect-src 'self' http://127.0.0.1:9000;"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertEquals(List.of("nosniff"), index.headers().get("X-Content-Type-Options"));
    }

    @Test
    void scripts_areServedAsJavaScript() {
        DashboardFiles.Answer main = files.serve("GET", "/dashboard/js/main.js");
        assertEquals(200, main.status());
        assertEquals(List.of("text/javascript; charset=utf-8"), main.headers().get("Content-Type"));
        assertEquals(200, files.serve("GET", "/dashboard/js/views/job.js").status());
    }

    @Test
    void config_pointsThePageAtTheApiOnItsOwnOriginWithBearerUsers() {
        DashboardFiles.Answer config = files.serve("GET", "/dashboard/config.json");
        assertEquals(200, config.status());
        assertEquals("{\"api\":\"\",\"auth\":{\"mode\":\"bearer\"}}", new String(config.body(), StandardCharsets.UTF_8));
    }

    @Test
    void pathsOutsideTheFolder_orUnknownFiles_areNotFound() {
        for (String path : List.of("/dashboard/../conveyor-local-log4j2.xml", "/dashboard/js/../../logback-test.xml",
                "/dashboard/%2e%2e/x.js", "/dashboard/.hidden.js", "/dashboard/missing.js", "/dashboard/js/main.ts")) {
            DashboardFiles.Answer answer = files.serve("GET", path);
            assertEquals(404, answer.status(), path);
            assertTrue(answer.headers().containsKey("Content-Security-Policy"), path);
        }
    }

    @Test
    void theBarePath_redirectsToTheFolder_andOnlyReadsAreAllowed() {
        DashboardFiles.Answer bare = files.serve("GET", "/dashboard");
        assertEquals(301, bare.status());
        assertEquals(List.of("/dashboard/"), bare.headers().get("Location"));
        DashboardFiles.Answer post = files.serve("POST", "/dashboard/index.html");
        assertEquals(405, post.status());
        assertEquals(List.of("GET, HEAD"), post.headers().get("Allow"));
        assertTrue(DashboardFiles.handles("/dashboard"));
        assertTrue(DashboardFiles.handles("/dashboard/js/main.js"));
        assertTrue(!DashboardFiles.handles("/dashboards") && !DashboardFiles.handles("/jobs"));
    }
}
