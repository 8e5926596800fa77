package org.ame4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes every call of the annotated method one atomic block, exactly as if its body were wrapped
 * in {@link Ame#atomic(java.util.function.Supplier)}: from any thread, isolated from every other
 * transaction, retried on conflict, inevitable before untracked calls, joined (flat nesting)
 * when called inside a transaction, and rolled back when it throws (the exception is rethrown
 * unchanged).
 *
 * <p>Needs the ame4j agent, which reads the annotation from the class file; without it the
 * annotation does nothing. Deuce STM's {@code @org.deuce.Atomic} is honoured the same way (by
 * name; see the agent's {@code annotations} option), with one difference from Deuce: Deuce
 * <em>committed</em> a block that threw, ame4j rolls it back. Overriding methods are atomic only
 * if they are annotated themselves (annotations on methods are not inherited).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Atomic {}
