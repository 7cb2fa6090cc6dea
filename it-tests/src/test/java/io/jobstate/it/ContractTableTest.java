package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The status table of docs/api.md is read exactly, and a table out of format is an error, never an empty match. */
class ContractTableTest {

    private static List<String> document(String... rows) {
        List<String> lines = new ArrayList<>(List.of("# contract", "", ContractTable.BEGIN,
                "| method | path | status codes |", "|---|---|---|"));
        lines.addAll(List.of(rows));
        lines.add(ContractTable.END);
        lines.add("| GET | /outside | 200 |");
        return lines;
    }

    @Test
    void eachRowBecomesAnOperationWithItsCodes() {
        Map<String, Set<String>> table = ContractTable.parse(document(
                "| POST | /api/jobs/{id}/transitions | 200, 400, 409 |",
                "|GET|/api/events|200,410|"));

        assertThat(table).containsOnlyKeys("POST /api/jobs/{id}/transitions", "GET /api/events");
        assertThat(table.get("POST /api/jobs/{id}/transitions")).containsExactly("200", "400", "409");
        assertThat(table.get("GET /api/events")).containsExactly("200", "410");
    }

    @Test
    void aRowOutOfFormatIsAnErrorNotASkip() {
        for (String bad : List.of("| POST | /api/jobs | 201; 400 |", "| post | /api/jobs | 201 |",
                "| POST | api/jobs | 201 |", "| POST | /api/jobs | |", "POST /api/jobs 201")) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> ContractTable.parse(document(bad)));
        }
    }

    @Test
    void aDifferenceInEitherDirectionOrInTheCodesIsReported() {
        Map<String, Set<String>> documented = Map.of("GET /api/jobs", Set.of("200", "400"), "GET /api/events", Set.of("200"));

        assertThat(ContractTable.differences(documented, Map.copyOf(documented))).isEmpty();
        assertThat(ContractTable.differences(documented, Map.of("GET /api/jobs", Set.of("200", "400"))))
                .singleElement().asString().startsWith("GET /api/events").contains("not served");
        assertThat(ContractTable.differences(Map.of("GET /api/jobs", Set.of("200", "400")), documented))
                .singleElement().asString().startsWith("GET /api/events").contains("missing from docs/api.md");
        assertThat(ContractTable.differences(documented, Map.of("GET /api/jobs", Set.of("200", "400", "503"),
                "GET /api/events", Set.of("200")))).singleElement().asString().startsWith("GET /api/jobs").contains("503");
    }

    @Test
    void aTableWithoutMarkersRowsOrWithATwiceListedOperationIsAnError() {
        assertThatIllegalArgumentException().isThrownBy(() -> ContractTable.parse(List.of("| GET | /api/jobs | 200 |")));
        assertThatIllegalArgumentException().isThrownBy(() -> ContractTable.parse(document()));
        assertThatIllegalArgumentException().isThrownBy(() -> ContractTable.parse(document(
                "| GET | /api/jobs | 200 |", "| GET | /api/jobs | 200, 400 |")));
    }
}
