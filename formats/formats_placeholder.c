/* formats/ placeholder until the signature engine lands */
int formats_placeholder_unused(void);
int formats_placeholder_unused(void) { return 0; }
