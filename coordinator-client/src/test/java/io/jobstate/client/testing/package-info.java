/** Support for tests that drive jobstate through this client (published as the module's test-jar). */
package io.jobstate.client.testing;
