package io.jobstate.testing.postgres;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A {@link PatroniCluster} as Patroni's REST API describes it ({@code GET /cluster}): each member's
 * role ({@code leader}, {@code sync_standby}, {@code replica}) and state ({@code running},
 * {@code starting}, {@code stopped} …; Patroni 3.0 says {@code running} for a standby that streams).
 */
public record PatroniView(List<Member> members) {

    public PatroniView {
        members = List.copyOf(members);
    }

    /** One member's line; {@code timeline} is 0 when Patroni does not know it. */
    public record Member(String name, String role, String state, int timeline) {

        boolean is(String expectedRole) {
            return expectedRole.equals(role) && "running".equals(state);
        }
    }

    /** The member holding the leader key, whatever its state. */
    public Optional<Member> leader() {
        return members.stream().filter(member -> "leader".equals(member.role())).findFirst();
    }

    /** The name of the member holding the leader key, if its PostgreSQL runs. */
    public Optional<String> runningLeader() {
        return leader().filter(member -> member.is("leader")).map(Member::name);
    }

    /** The running synchronous standby, if Patroni has named one. */
    public Optional<Member> synchronousStandby() {
        return members.stream().filter(member -> member.is("sync_standby")).findFirst();
    }

    /** e.g. "a leader/running tl 2, b sync_standby/running tl 2". */
    @Override
    public String toString() {
        return members.isEmpty() ? "no members" : members.stream()
                .map(m -> m.name() + " " + m.role() + "/" + m.state() + (m.timeline() > 0 ? " tl " + m.timeline() : ""))
                .collect(Collectors.joining(", "));
    }
}
