/**
 * JMH benchmarks. Each compares mtls with a reference measured in the same run (plain JSSE, the
 * JDK, or a peer library), so that results are read as ratios on a noisy machine.
 */
package dev.mtls.benchmarks;
