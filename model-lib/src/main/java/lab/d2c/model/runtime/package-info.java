/**
 * Where and how tensors live: devices named in configuration ({@code cpu}, {@code gpu:N}) and
 * scalar constants allocated natively (docs/djl-pitfalls.md, pitfall 1).
 */
package lab.d2c.model.runtime;
