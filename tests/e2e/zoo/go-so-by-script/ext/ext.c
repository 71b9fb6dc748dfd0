int ext_answer(void) { return 42; }
