package io.jobstate.client.fake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** WireMock on a free loopback port, every {@code /api/…} request answered by a {@link FakeJobstate}. */
public final class FakeServer implements AutoCloseable {

    private final WireMockServer server;
    private final FakeJobstate fake = new FakeJobstate();

    private FakeServer() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake)
                .disableRequestJournal());
        server.start();
        server.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withTransformers(FakeJobstate.NAME)));
    }

    public static FakeServer start() {
        return new FakeServer();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public FakeJobstate fake() {
        return fake;
    }

    @Override
    public void close() {
        server.stop();
    }
}
