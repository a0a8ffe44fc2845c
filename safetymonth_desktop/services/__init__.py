"""Rules and figures: everything the GUI, the command line and the exchange code share. No Qt here."""
