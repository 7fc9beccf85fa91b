/** What this build is: {@link lab.d2c.store.build.BuildInfo}, the git commit the jar was built from (lineage of every node result). */
package lab.d2c.store.build;
