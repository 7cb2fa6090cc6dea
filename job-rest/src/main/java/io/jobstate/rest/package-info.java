/** The jobstate HTTP API (JAX-RS on Open Liberty): thin resources over the domain's {@code JobStore}. */
package io.jobstate.rest;
