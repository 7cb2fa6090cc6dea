package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The job board in a real headless Chromium against the real service: what an operator sees when
 * jobs move, a lease expires, a stale page acts, a viewer looks, and the stream is cut. One browser
 * session for the whole class (start-up costs seconds); each test signs in as it needs. The browser
 * reaches the server through a {@link CountingProxy}, so a test can cut the event stream from the
 * server's side and hold the line down while jobs move, without restarting Liberty (which would take
 * the test's deployment with it). Screenshots land in target/board-screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoardIT extends LibertyTest {

    /** What the issue promises: a change shows on an open page within 2 s, without reload. */
    private static final Duration LIVE = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String COORDINATOR = DevTokens.forRole("coordinator");
    private static final String VIEWER = DevTokens.forRole("viewer");
    /** The board's page of jobs (views/jobs-list.js). */
    private static final int LIST_PAGE = 25;

    private static HeadlessChromium browser;
    private static CountingProxy proxy;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @BeforeAll
    static void openBrowser() throws Exception {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void closeBrowser() {
        try {
            if (browser != null) browser.close();
        } finally {
            if (proxy != null) proxy.close();
        }
    }

    @Test
    @Order(1)
    void withoutATokenThePageAsksForOneAndRefusesWhatIsNoToken() {
        open();

        assertThat(page().findElement(By.id("sign-in")).isDisplayed()).isTrue();
        assertThat(page().switchTo().activeElement().getAttribute("id")).as("the token field has the focus").isEqualTo("token");
        assertThat(page().findElement(By.id("overview")).isDisplayed()).isFalse();
        page().findElement(By.id("token")).sendKeys("not-a-token", Keys.ENTER);
        browser.await("the refusal is shown", LIVE, d -> !text("sign-in-error").isEmpty());
        assertThat(text("sign-in-error")).contains("not a bearer token");
        assertThat((String) browser.script("return sessionStorage.getItem('jobstate.board.token')")).isNull();
        browser.assertAccessible("the sign-in form");
    }

    @Test
    @Order(2)
    void aJobMovedThroughTheApiAppearsAndChangesWithinTwoSecondsAndTheCountsFollow() throws Exception {
        signIn(COORDINATOR);
        Http http = new Http(base);
        String type = "board-" + System.nanoTime();
        filterByType(type);
        long completedBefore = count("COMPLETED");

        String id = create(http, type);
        move(http, id, "{\"to\": \"QUEUED\"}", null);
        browser.await("the new job's row within 2 s", LIVE, d -> "QUEUED".equals(rowStatus(id)));
        String lease = move(http, id, "{\"to\": \"RUNNING\", \"leaseSeconds\": 120}", null).getString("leaseToken");
        browser.await("the row shows RUNNING within 2 s", LIVE, d -> "RUNNING".equals(rowStatus(id)));
        browser.await("the lease counts down on the row", LIVE, d -> row(id).getText().contains("expires in"));
        move(http, id, "{\"to\": \"COMPLETED\"}", lease);
        browser.await("the row shows COMPLETED within 2 s", LIVE, d -> "COMPLETED".equals(rowStatus(id)));
        browser.await("the COMPLETED count follows within 2 s", LIVE, d -> count("COMPLETED") == completedBefore + 1);

        assertThat(row(id).getAttribute("data-version")).isEqualTo("3");
        assertThat(row(id).getText()).contains("COMPLETED").contains("100 %").doesNotContain("expires");
        assertThat(text("connection")).contains("Live");
        // a board with one of each, for the overview's picture
        for (String status : List.of("PENDING", "QUEUED", "RUNNING", "FAILED", "CANCELLED")) {
            String other = create(http, type);
            switch (status) {
                case "PENDING" -> { }
                case "FAILED" -> move(http, other, "{\"to\": \"FAILED\", \"error\": \"exit code 2\"}",
                        move(http, other, "{\"to\": \"RUNNING\"}", null).getString("leaseToken"));
                default -> move(http, other, "{\"to\": \"" + status + "\"}", null);
            }
        }
        browser.await("six rows", PATIENCE, d -> rows().size() == 6);
        browser.screenshot("board-overview", 1000);
        browser.assertAccessible("the overview");

        // 200 % zoom of a 1280-pixel window is a 640-CSS-pixel viewport: the page must not need sideways scrolling
        page().manage().window().setSize(new Dimension(640, 1000));
        try {
            browser.await("the page reflows into 640 CSS pixels", LIVE, d -> (Boolean) browser.script(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        } finally {
            page().manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(3)
    void aListLongerThanAPageShowsTheWholeFirstPageAndTheOlderJobsOnDemandInTheApisOrder() {
        signIn(COORDINATOR);
        Http http = new Http(base);
        String type = "board-paged-" + System.nanoTime();
        int jobs = 2 * LIST_PAGE + 10;
        for (int i = 0; i < jobs; i++) {
            create(http, type);
        }
        List<String> newestFirst = idsOf(http, type, jobs);

        WebElement field = page().findElement(By.id("filter-type"));
        field.clear();
        field.sendKeys(type, Keys.ENTER);
        browser.await("a whole page of rows", PATIENCE, d -> rows().size() == LIST_PAGE);
        assertThat(rowIds()).as("the first page, newest first").containsExactlyElementsOf(newestFirst.subList(0, LIST_PAGE));
        assertThat(page().findElement(By.id("more")).isDisplayed()).isTrue();

        page().findElement(By.id("more")).click();
        browser.await("two pages of rows", PATIENCE, d -> rows().size() == 2 * LIST_PAGE);
        page().findElement(By.id("more")).click();
        browser.await("every row", PATIENCE, d -> rows().size() == jobs);

        assertThat(rowIds()).as("every job once, in the API's order").containsExactlyElementsOf(newestFirst);
        assertThat(page().findElement(By.id("more")).isDisplayed()).as("nothing older to show").isFalse();
    }

    @Test
    @Order(4)
    void theTimelineGrowsAndTheReapersEntryStandsOutAfterALeaseExpires() throws Exception {
        signIn(COORDINATOR);
        Http http = new Http(base);
        String id = create(http, "board-reaped");
        showJob(id);
        assertThat(page().findElements(By.cssSelector("#timeline li.entry"))).isEmpty();

        move(http, id, "{\"to\": \"RUNNING\", \"leaseSeconds\": 1}", null);
        browser.await("the RUNNING entry within 2 s", LIVE, d -> timeline().size() == 1);
        // the worker never heartbeats: the server's reaper fails the job once the second is over
        browser.await("the reaper's entry", PATIENCE, d -> timeline().size() == 2);

        // read in one script: the timeline is redrawn whenever the history is read again
        @SuppressWarnings("unchecked")
        List<List<String>> entries = (List<List<String>>) browser.script("return [...document.querySelectorAll('#timeline li.entry')]"
                + ".map(li => [li.dataset.actor, li.className, li.textContent])");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(1).get(0)).isEqualTo("reaper");
        assertThat(entries.get(1).get(1)).contains("reaper");
        assertThat(entries.get(1).get(2)).contains("RUNNING").contains("FAILED").contains("by the reaper").contains("lease expired");
        assertThat(entries.get(0).get(2)).contains("PENDING").contains("RUNNING").contains("by ");
        browser.await("the job shows FAILED", LIVE, d -> "FAILED".equals(detail().getAttribute("data-status")));
        assertThat(page().findElements(By.cssSelector("#job-events li[data-seq]"))).hasSize(2);
        assertThat(page().findElement(By.id("retry-job")).isDisplayed()).as("a FAILED job may be retried").isTrue();
        assertThat(page().findElement(By.id("cancel-job")).isDisplayed()).as("a FAILED job cannot be cancelled").isFalse();
        browser.screenshot("board-job-timeline", 1250);
        browser.assertAccessible("a job's detail");
    }

    @Test
    @Order(4)
    void aWorkersClaimStandsOutInTheTimelineAndTheJobRunsUnderItsLease() {
        signIn(COORDINATOR);
        Http http = new Http(base);
        String type = "board-claimed-" + System.nanoTime();
        String id = create(http, type);
        move(http, id, "{\"to\": \"QUEUED\"}", null);
        showJob(id);
        browser.await("the QUEUED entry", LIVE, d -> timeline().size() == 1);

        HttpResponse<String> claimed = http.postJson("jobs/claims", "{\"types\": [\"" + type + "\"], \"leaseSeconds\": 120}");
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
        assertThat(JobsApiContract.object(claimed).getString("id")).isEqualTo(id);

        browser.await("the claim's entry within 2 s", LIVE, d -> timeline().size() == 2);
        WebElement claim = timeline().get(1);
        assertThat(claim.getAttribute("class")).contains("claim");
        assertThat(claim.getText()).contains("QUEUED").contains("RUNNING").contains("claimed by worker it-tests")
                .doesNotContain("reason");
        assertThat(timeline().get(0).getAttribute("class")).doesNotContain("claim");
        browser.await("the job shows RUNNING", LIVE, d -> "RUNNING".equals(detail().getAttribute("data-status")));
        browser.await("its lease counts down", LIVE, d -> detail().getText().contains("expires in"));
    }

    @Test
    @Order(5)
    void aCoordinatorActingFromAStalePageSeesTheConflictAndTheCurrentStateAndChangesNothing() {
        signIn(COORDINATOR);
        Http http = new Http(base);
        String id = create(http, "board-stale");
        showJob(id);
        browser.await("the cancel action at version 0", LIVE, d -> text("cancel-job").contains("version 0"));
        page().findElement(By.id("pause")).click();
        browser.await("paused", LIVE, d -> "stopped".equals(connectionState()));

        move(http, id, "{\"to\": \"RUNNING\"}", null); // elsewhere, while the page looks at version 0
        assertThat(detail().getAttribute("data-version")).as("the page is stale").isEqualTo("0");
        page().findElement(By.id("cancel-reason")).sendKeys("operator: stuck");
        page().findElement(By.id("cancel-job")).click();

        browser.await("the conflict is explained", PATIENCE, d -> text("action-outcome").contains("refused"));
        assertThat(text("action-outcome")).contains("nothing was changed").contains("already RUNNING, version 1");
        browser.await("the page now shows the job as it is", LIVE, d -> "1".equals(detail().getAttribute("data-version")));
        assertThat(detail().getAttribute("data-status")).isEqualTo("RUNNING");
        JsonObject now = JobsApiContract.object(http.get("jobs/" + id));
        assertThat(now.getString("status")).isEqualTo("RUNNING");
        assertThat(now.getInt("version")).isEqualTo(1);

        page().findElement(By.id("pause")).click();
        browser.await("live again", PATIENCE, d -> "live".equals(connectionState()));
        page().findElement(By.id("cancel-job")).click();
        browser.await("the cancel applies at the version now on screen", PATIENCE,
                d -> "CANCELLED".equals(detail().getAttribute("data-status")));
        assertThat(JobsApiContract.object(http.get("jobs/" + id)).getString("status")).isEqualTo("CANCELLED");
    }

    @Test
    @Order(6)
    void aViewerSeesNoActionsAndAForcedRequestIsRefused() {
        signIn(VIEWER);
        Http http = new Http(base);
        String id = create(http, "board-viewed");
        showJob(id);

        assertThat(text("who")).contains("viewer");
        assertThat(page().findElement(By.id("actions")).isDisplayed()).isFalse();
        assertThat(page().findElements(By.cssSelector("#cancel-job, #retry-job"))).isEmpty();
        // what a viewer could try from the browser's console: the server decides, not the page
        Object status = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(new URL('api/jobs/' + arguments[0] + '/transitions', document.baseURI), {method: 'POST',"
                + " headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + sessionStorage.getItem('jobstate.board.token')},"
                + " body: JSON.stringify({to: 'CANCELLED'})}).then(r => done(r.status), e => done(String(e)));", id);
        assertThat(status).isEqualTo(403L);
        assertThat(JobsApiContract.object(http.get("jobs/" + id)).getString("status")).isEqualTo("PENDING");
    }

    @Test
    @Order(7)
    void afterTheStreamIsCutTheBoardCatchesUpWithWhatItMissedWithoutDuplicates() {
        signIn(COORDINATOR);
        Http http = new Http(base);
        String type = "board-cut-" + System.nanoTime();
        filterByType(type);
        String shown = create(http, type);
        move(http, shown, "{\"to\": \"QUEUED\"}", null);
        browser.await("the job's row", LIVE, d -> "QUEUED".equals(rowStatus(shown)));
        showJob(shown);
        long cutAt = lastSeq(http);

        proxy.refuse(true);
        proxy.cut(); // the server's side of every connection goes away, the event stream's included
        browser.await("the board says it is reconnecting", PATIENCE, d -> "reconnecting".equals(connectionState()));
        String lease = move(http, shown, "{\"to\": \"RUNNING\"}", null).getString("leaseToken");
        move(http, shown, "{\"to\": \"COMPLETED\"}", lease);
        String missed = create(http, type);
        move(http, missed, "{\"to\": \"QUEUED\"}", null);
        List<Long> missedEvents = await().atMost(PATIENCE).until(() -> eventsOf(http, shown, cutAt), events -> events.size() == 2);
        assertThat(detail().getAttribute("data-status")).as("nothing reached the page while cut").isEqualTo("QUEUED");

        proxy.refuse(false);
        browser.await("live again", PATIENCE, d -> "live".equals(connectionState()));
        browser.await("the missed changes", PATIENCE, d -> "COMPLETED".equals(detail().getAttribute("data-status")));
        assertThat(page().findElements(By.cssSelector("#job-events li[data-seq]")))
                .extracting(e -> Long.parseLong(e.getAttribute("data-seq"))).as("each missed event once, in order")
                .containsExactlyElementsOf(missedEvents);
        page().findElement(By.linkText("← All jobs")).click();
        browser.await("the job created while cut", PATIENCE, d -> "QUEUED".equals(rowStatus(missed)));
        assertThat(rows()).extracting(r -> r.getAttribute("data-job-id")).as("one row per job")
                .containsExactlyInAnyOrder(shown, missed);
        assertThat(rowStatus(shown)).isEqualTo("COMPLETED");
    }

    @Test
    @Order(8)
    void theSseParserReadsTheSameMessagesWhereverTheStreamIsCutIntoPieces() {
        signIn(COORDINATOR);
        // the parser module in the page itself, fed a stream cut at every position, and in single characters
        Object failures = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "import(new URL('board/sse.js', document.baseURI)).then(({SseParser}) => {"
                + " const stream = '\\uFEFF: keep-alive\\r\\nid: 7\\r\\nevent: change\\r\\ndata: {\"seq\": 7}\\r\\n\\r\\n'"
                + "  + 'data:a\\rdata: b\\r\\r: comment\\n\\nid: 8\\ndata\\n\\nretry: 1500\\nevent: gone\\ndata: {\"prunedThrough\": 9}\\n\\n'"
                + "  + 'data: unfinished';"
                + " const expected = JSON.stringify([{event: 'change', data: '{\"seq\": 7}', id: '7'}, {event: 'message', data: 'a\\nb', id: '7'},"
                + "  {event: 'message', data: '', id: '8'}, {event: 'gone', data: '{\"prunedThrough\": 9}', id: '8'}]);"
                + " const failures = [];"
                + " const pieces = [];"
                + " for (let i = 0; i <= stream.length; i++) pieces.push([stream.slice(0, i), stream.slice(i)]);"
                + " pieces.push(Array.from(stream));"
                + " for (const cut of pieces) {"
                + "  const parser = new SseParser();"
                + "  const got = JSON.stringify(cut.flatMap((p) => parser.push(p)));"
                + "  if (got !== expected || parser.retry !== 1500) failures.push(JSON.stringify(cut) + ' -> ' + got);"
                + " }"
                + " done(failures);"
                + "}, (e) => done(['import failed: ' + e]));");
        assertThat((List<?>) failures).isEmpty();
    }

    @Test
    @Order(8)
    void aLongHistoryShowsItsNewestPageAndEarlierPagesOnRequest() {
        signIn(COORDINATOR);
        Http http = new Http(base);
        String id = create(http, "board-retried");
        int retries = 40;
        for (int i = 0; i < retries; i++) {
            move(http, id, "{\"to\": \"QUEUED\"}", null);
            String lease = move(http, id, "{\"to\": \"RUNNING\"}", null).getString("leaseToken");
            move(http, id, "{\"to\": \"FAILED\", \"error\": \"flaky\"}", lease);
        }
        int entries = 3 * retries;

        showJob(id);
        browser.await("the newest page of the history", PATIENCE, d -> timeline().size() == 100);
        assertThat(timeline().getFirst().getAttribute("data-version")).isEqualTo(String.valueOf(entries - 99));
        assertThat(timeline().getLast().getAttribute("data-version")).isEqualTo(String.valueOf(entries));
        WebElement earlier = page().findElement(By.id("timeline-earlier"));
        assertThat(earlier.getText()).contains(String.valueOf(entries - 100) + " not shown");

        earlier.click();
        browser.await("the whole history", PATIENCE, d -> timeline().size() == entries);
        assertThat(timeline().getFirst().getAttribute("data-version")).isEqualTo("1");
        assertThat(earlier.isDisplayed()).as("nothing earlier left").isFalse();
        move(http, id, "{\"to\": \"QUEUED\"}", null);
        browser.await("the next entry appended as its event arrives", PATIENCE, d -> timeline().size() == entries + 1);
        browser.assertAccessible("a job with a long history");
    }

    // --- the page ---

    private void open() {
        if (proxy == null) proxy = CountingProxy.to(base.getPort());
        URI page = URI.create("http://127.0.0.1:" + proxy.port() + base.getPath());
        WebDriver driver = page();
        if (!driver.getCurrentUrl().startsWith(page.toString())) driver.get(page.toString());
        browser.script("sessionStorage.clear(); location.hash = '#/';");
        driver.navigate().refresh();
        browser.await("the sign-in form", PATIENCE, d -> d.findElement(By.id("sign-in")).isDisplayed());
    }

    private void signIn(String token) {
        open();
        page().findElement(By.id("token")).sendKeys(token, Keys.ENTER);
        browser.await("the board follows the feed", PATIENCE, d -> "live".equals(connectionState()));
        browser.await("the counts", PATIENCE, d -> !d.findElements(By.cssSelector("#counts .count")).isEmpty());
    }

    private void filterByType(String type) {
        WebElement field = page().findElement(By.id("filter-type"));
        field.clear();
        field.sendKeys(type, Keys.ENTER);
        browser.await("no row of another type", PATIENCE, d -> rows().isEmpty());
    }

    private void showJob(String id) {
        browser.script("location.hash = arguments[0]", "#/jobs/" + id);
        browser.await("the job's detail", PATIENCE, d -> id.equals(d.findElement(By.cssSelector("#detail-fields code")).getText()));
    }

    private WebDriver page() {
        return browser.driver();
    }

    private String text(String id) {
        return page().findElement(By.id(id)).getText();
    }

    private String connectionState() {
        return page().findElement(By.id("connection")).getAttribute("data-state");
    }

    private WebElement detail() {
        return page().findElement(By.id("detail"));
    }

    private List<WebElement> timeline() {
        return page().findElements(By.cssSelector("#timeline li.entry"));
    }

    private List<WebElement> rows() {
        return page().findElements(By.cssSelector("#job-rows tr"));
    }

    /** The rows' job ids, top to bottom, read in one script. */
    @SuppressWarnings("unchecked")
    private List<String> rowIds() {
        return (List<String>) browser.script("return [...document.querySelectorAll('#job-rows tr')].map(r => r.dataset.jobId)");
    }

    private WebElement row(String id) {
        return page().findElement(By.cssSelector("#job-rows tr[data-job-id='" + id + "']"));
    }

    private String rowStatus(String id) {
        List<WebElement> rows = page().findElements(By.cssSelector("#job-rows tr[data-job-id='" + id + "']"));
        return rows.isEmpty() ? null : rows.get(0).getAttribute("data-status");
    }

    /** One status's count as shown, read in one script (the counts are redrawn every 2 s: a found element may go stale). */
    private long count(String status) {
        String number = (String) browser.script("return document.querySelector(arguments[0]).textContent",
                "#counts .count[data-status='" + status + "'] .number");
        return Long.parseLong(number.replaceAll("[^0-9]", ""));
    }

    // --- the API, directly (not through the proxy) ---

    private static String create(Http http, String type) {
        HttpResponse<String> created = http.postJson("jobs", "{\"type\": \"" + type + "\", \"payload\": {\"repo\": \"demo\", \"ref\": \"main\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
        return JobsApiContract.object(created).getString("id");
    }

    private static JsonObject move(Http http, String id, String body, String lease) {
        var request = http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json");
        if (lease != null) request.header("Lease-Token", lease);
        HttpResponse<String> answer = http.send(request.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JobsApiContract.object(answer);
    }

    /** The ids of the jobs of {@code type}, newest first, as the API lists them (one page of {@code limit}). */
    private static List<String> idsOf(Http http, String type, int limit) {
        JsonObject page = JobsApiContract.object(http.get("jobs?type=" + type + "&limit=" + limit));
        return page.getJsonArray("items").stream().map(item -> item.asJsonObject().getString("id")).toList();
    }

    private static long lastSeq(Http http) {
        return JobsApiContract.object(http.get("jobs/counts")).getJsonNumber("lastSeq").longValue(); // the feed's newest
    }

    /** The seqs of job {@code id}'s events after {@code after}, from the feed. */
    private static List<Long> eventsOf(Http http, String id, long after) {
        JsonObject page = Json.createReader(new StringReader(http.get("events?after=" + after + "&limit=1000").body())).readObject();
        return page.getJsonArray("items").stream().map(JsonValue::asJsonObject)
                .filter(event -> event.getString("jobId").equals(id))
                .map(event -> event.getJsonNumber("seq").longValue()).toList();
    }
}
