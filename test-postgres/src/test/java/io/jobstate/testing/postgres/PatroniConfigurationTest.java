package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatroniConfigurationTest {

    private static final List<String> PLACEHOLDERS = List.of("CLUSTER", "MEMBER", "REST_LISTEN", "REST_ADDRESS",
            "REST_PASSWORD", "ETCD_HOSTS", "PG_LISTEN", "PG_ADDRESS", "DATA_DIR", "PG_BIN", "SOCKET_DIR", "PGPASS",
            "NETWORK", "SUPERUSER_PASSWORD", "REPLICATION_PASSWORD", "REWIND_PASSWORD", "WATCHDOG_MODE");

    @Test
    void fillsEveryPlaceholderOfTheRepositorysTemplate() {
        Map<String, String> values = values();

        String filled = PatroniConfiguration.fill(values);

        assertThat(filled).doesNotContainPattern("\\$\\{[A-Z_]+}")
                .contains("name: value-of-MEMBER\n", "listen: value-of-PG_LISTEN\n", "hosts: value-of-ETCD_HOSTS\n",
                        "password: \"value-of-SUPERUSER_PASSWORD\"\n", "mode: value-of-WATCHDOG_MODE\n")
                .contains("synchronous_mode: true\n", "synchronous_mode_strict: false\n", "use_pg_rewind: true\n");
    }

    @Test
    void refusesATemplatePlaceholderWithoutAValue() {
        Map<String, String> values = values();
        values.remove("REWIND_PASSWORD");

        assertThatThrownBy(() -> PatroniConfiguration.fill(values)).hasMessageContaining("no value for [REWIND_PASSWORD]");
    }

    @Test
    void refusesAValueTheTemplateHasNoPlaceholderFor() {
        Map<String, String> values = values();
        values.put("ETCD_PASSWORD", "secret");

        assertThatThrownBy(() -> PatroniConfiguration.fill(values)).hasMessageContaining("no placeholder for [ETCD_PASSWORD]");
    }

    @Test
    void takesValuesLiterallyEvenWithReplacementSyntaxInThem() {
        Map<String, String> values = values();
        values.put("DATA_DIR", "/srv/$1/data\\x");

        assertThat(PatroniConfiguration.fill(values)).contains("data_dir: /srv/$1/data\\x\n");
    }

    private static Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        PLACEHOLDERS.forEach(name -> values.put(name, "value-of-" + name));
        return values;
    }
}
