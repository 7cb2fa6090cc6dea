package io.jobstate.persistence.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What makes a run's figures suspect: a failed pgbench transaction or a store error on a path that
 * must have none, a cell that applied nothing, a figure that is not a number. The naive control is
 * exempt from the error check: its errors are the database guard rejecting its stale writes, which
 * is what it is there to show.
 */
final class Verdict {

    private static final String NAIVE = "naive";

    private Verdict() {
    }

    /** One line per problem; empty when the run is sound. */
    static List<String> problems(List<CellResult> cells) {
        List<String> problems = new ArrayList<>();
        for (CellResult cell : cells) {
            String name = cell.workload().name().toLowerCase(Locale.ROOT) + "/" + cell.clients() + "/" + cell.path();
            if (cell.errors() > 0 && !cell.path().equals(NAIVE)) {
                problems.add(name + ": " + cell.errors() + " errors");
            }
            if (cell.applied() <= 0) {
                problems.add(name + ": no transition applied");
            }
            double[] figures = {cell.seconds(), cell.requestsPerSecond(), cell.appliedPerSecond(), cell.p50Millis(),
                    cell.p99Millis()};
            for (double figure : figures) {
                if (!Double.isFinite(figure) || figure < 0) {
                    problems.add(name + ": a figure is " + figure);
                    break;
                }
            }
        }
        return problems;
    }
}
