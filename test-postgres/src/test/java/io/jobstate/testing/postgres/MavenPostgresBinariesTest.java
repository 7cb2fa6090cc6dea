package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MavenPostgresBinariesTest {

    @Test
    void eachPlatformZonkyPublishesHasItsArchiveName() {
        assertThat(MavenPostgresBinaries.archiveName("Linux", "amd64")).contains("postgres-linux-x86_64.txz");
        assertThat(MavenPostgresBinaries.archiveName("Linux", "aarch64")).contains("postgres-linux-arm_64.txz");
        assertThat(MavenPostgresBinaries.archiveName("Mac OS X", "x86_64")).contains("postgres-darwin-x86_64.txz");
        assertThat(MavenPostgresBinaries.archiveName("Mac OS X", "aarch64")).contains("postgres-darwin-arm_64.txz");
    }

    @Test
    void otherPlatformsHaveNone() {
        assertThat(MavenPostgresBinaries.archiveName("Windows 11", "amd64")).isEmpty();
        assertThat(MavenPostgresBinaries.archiveName("Linux", "s390x")).isEmpty();
    }
}
