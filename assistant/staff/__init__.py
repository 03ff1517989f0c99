"""Staff accounts and how a staff member proves who they are: a password (argon2id) for the
browser's sign-in, a server-side session behind the cookie, bearer tokens for scripts."""
