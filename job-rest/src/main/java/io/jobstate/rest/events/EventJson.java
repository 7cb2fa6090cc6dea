package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.rest.support.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** The contract's representation of events and feed pages. */
final class EventJson {

    private EventJson() {
    }

    static JsonObject of(JobEvent event) {
        JsonObjectBuilder json = Jsonp.object()
                .add("seq", event.seq())
                .add("jobId", event.jobId().toString())
                .add("from", event.from().name())
                .add("to", event.to().name())
                .add("version", event.version())
                .add("at", event.at().toString());
        if (event.traceId() != null) {
            json.add("traceId", event.traceId());
        }
        return json.build();
    }

    static JsonObject of(EventRead.Page page) {
        JsonArrayBuilder items = Jsonp.array();
        page.items().forEach(event -> items.add(of(event)));
        return Jsonp.object().add("items", items).add("lastSeq", page.lastSeq()).build();
    }
}
