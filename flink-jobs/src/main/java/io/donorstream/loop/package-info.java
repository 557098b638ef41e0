/** The closed loop on one machine: both jobs, the service, drift and alarms, as the demo. */
package io.donorstream.loop;
