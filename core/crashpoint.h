/*
 * core/crashpoint.h - a test seam for crash safety. With the environment
 * variable CUSTOS_CRASH_AT=N the process kills itself (SIGKILL, as kill -9
 * would) at the Nth crash point it passes; CUSTOS_CRASH_LOG=FILE appends
 * the name of every crash point passed. Without them this does nothing.
 */
#ifndef CUSTOS_CORE_CRASHPOINT_H
#define CUSTOS_CORE_CRASHPOINT_H

/* Mark a point where a crash must leave the repository recoverable. */
void crashpoint(const char *name);

#endif
