// args: --function broken --kernel v4.13
// The body of the imported function does not parse as C.
static int broken(struct page *page)
{
	int n = ;

	return n;
}
