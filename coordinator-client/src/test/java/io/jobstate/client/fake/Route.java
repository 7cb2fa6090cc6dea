package io.jobstate.client.fake;

/** The contract's endpoints, as the fake tells them apart. */
public enum Route {
    CREATE, GET, LIST, TRANSITION, PROGRESS, HEARTBEAT, HISTORY, CLAIM, UNKNOWN;

    static Route of(String method, String path) {
        String[] parts = path.replaceFirst("^/api/jobs/?", "").split("/");
        boolean collection = parts.length == 1 && parts[0].isEmpty();
        return switch (method) {
            case "POST" -> collection ? CREATE : parts.length == 1 && parts[0].equals("claims") ? CLAIM : parts.length != 2 ? UNKNOWN
                    : parts[1].equals("transitions") ? TRANSITION : parts[1].equals("heartbeat") ? HEARTBEAT : UNKNOWN;
            case "GET" -> collection ? LIST : parts.length == 1 ? GET : parts[1].equals("history") ? HISTORY : UNKNOWN;
            case "PUT" -> parts.length == 2 && parts[1].equals("progress") ? PROGRESS : UNKNOWN;
            default -> UNKNOWN;
        };
    }
}
