package io.jobstate.persistence.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static CellResult cell(String path, long applied, long errors, double p99) {
        return new CellResult(Workload.HOT, 8, path, 100, applied, 1.0, 0.5, p99, errors);
    }

    @Test
    void aSoundRunHasNoProblems() {
        assertThat(Verdict.problems(List.of(cell("pgbench", 30, 0, 2.0), cell("cas", 30, 0, 2.0)))).isEmpty();
    }

    @Test
    void errorsMakeARunSuspectExceptTheNaiveControls() {
        assertThat(Verdict.problems(List.of(cell("cas", 30, 1, 2.0), cell("naive", 30, 7, 2.0))))
                .containsExactly("hot/8/cas: 1 errors");
    }

    @Test
    void aCellThatAppliedNothingOrAFigureThatIsNoNumberMakesARunSuspect() {
        assertThat(Verdict.problems(List.of(cell("pessimistic", 0, 0, 2.0), cell("cas", 30, 0, Double.NaN))))
                .containsExactly("hot/8/pessimistic: no transition applied", "hot/8/cas: a figure is NaN");
    }
}
