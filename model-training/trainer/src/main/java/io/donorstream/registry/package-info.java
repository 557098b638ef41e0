/** The model registry: versions, stages and decisions on disk. */
package io.donorstream.registry;
