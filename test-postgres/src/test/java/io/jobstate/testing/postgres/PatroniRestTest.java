package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Patroni 3.0.2's {@code GET /cluster} answers, as seen on this project's machines. */
class PatroniRestTest {

    private static final String STREAMING = """
            {"members": [{"name": "a", "role": "leader", "state": "running", "api_url": "http://127.0.0.1:18008/patroni",\
             "host": "127.0.0.1", "port": 15432, "timeline": 3}, {"name": "b", "role": "sync_standby", "state": "running",\
             "api_url": "http://127.0.0.1:18009/patroni", "host": "127.0.0.1", "port": 15433, "timeline": 3, "lag": 0}]}""";

    private static final String AFTER_A_SWITCHOVER = """
            {"members": [{"name": "a", "role": "leader", "state": "running", "api_url": "http://127.0.0.1:18008/patroni",\
             "host": "127.0.0.1", "port": 15432, "timeline": 4}, {"name": "b", "role": "replica", "state": "starting",\
             "api_url": "http://127.0.0.1:18009/patroni", "host": "127.0.0.1", "port": 15433, "lag": "unknown"}]}""";

    private static final String LEADER_STOPPED = """
            {"members": [{"name": "a", "role": "leader", "state": "stopped", "host": "127.0.0.1", "port": 15432},\
             {"name": "b", "role": "replica", "state": "running", "host": "127.0.0.1", "port": 15433, "timeline": 2}]}""";

    @Test
    void readsTheLeaderAndTheSynchronousStandby() {
        PatroniView view = PatroniRest.parse(STREAMING);

        assertThat(view.runningLeader()).contains("a");
        assertThat(view.synchronousStandby()).map(PatroniView.Member::name).contains("b");
        assertThat(view.members()).extracting(PatroniView.Member::timeline).containsExactly(3, 3);
        assertThat(view).hasToString("a leader/running tl 3, b sync_standby/running tl 3");
    }

    @Test
    void aStartingReplicaWithAnUnknownLagAndTimelineIsNoSynchronousStandby() {
        PatroniView view = PatroniRest.parse(AFTER_A_SWITCHOVER);

        assertThat(view.synchronousStandby()).isEmpty();
        assertThat(view.members().get(1)).isEqualTo(new PatroniView.Member("b", "replica", "starting", 0));
    }

    @Test
    void aLeaderKeyWhosePostgresqlIsStoppedIsNoRunningLeader() {
        PatroniView view = PatroniRest.parse(LEADER_STOPPED);

        assertThat(view.leader()).map(PatroniView.Member::name).contains("a");
        assertThat(view.runningLeader()).isEmpty();
    }
}
