/** The {@code ./donorstream} command line; one error path for every command. */
package io.donorstream.cli;
