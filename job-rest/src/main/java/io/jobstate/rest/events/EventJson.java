package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.rest.support.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/** The contract's representation of events and feed pages. */
final class EventJson {

    private EventJson() {
    }

    static JsonObject of(JobEvent event) {
        return Jsonp.object()
                .add("seq", event.seq())
                .add("jobId", event.jobId().toString())
                .add("from", event.from().name())
                .add("to", event.to().name())
                .add("version", event.version())
                .add("at", event.at().toString())
                .build();
    }

    static JsonObject of(EventRead.Page page) {
        JsonArrayBuilder items = Jsonp.array();
        page.items().forEach(event -> items.add(of(event)));
        return Jsonp.object().add("items", items).add("lastSeq", page.lastSeq()).build();
    }
}
