/**
 * An in-process fake of the jobstate service (WireMock serving a stateful transformer that
 * decides with the real job-domain rules) which injects faults on request: 503 bursts with
 * Retry-After, slow answers, answers dropped after the change was applied, and interlopers that
 * change a job just before a request is handled.
 */
package io.jobstate.client.fake;
