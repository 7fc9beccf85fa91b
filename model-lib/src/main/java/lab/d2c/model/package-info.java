/** Models and their math; no Temporal, SQL or S3. */
package lab.d2c.model;
