/**
 * The end-to-end proof under load and faults: callers drive jobs through the typed client
 * ({@link io.jobstate.it.storm.Storm}), every HTTP exchange is recorded on the way
 * ({@link io.jobstate.it.storm.ExchangeLog}), and {@link io.jobstate.it.storm.HistoryChecker}
 * holds what clients were told against what the database kept.
 */
package io.jobstate.it.storm;
