# vnic - top-level Makefile.
#
# `make` builds vnic.ko in this tree with Kbuild (see Kbuild) against KDIR:
# the running kernel's build directory if it exists, else the pinned Debian
# 6.12 headers (KERNEL=6.1: the pinned Debian 6.1 headers). Everything else
# wraps a script under scripts/ and first installs what is missing
# (scripts/deps.sh). See README.md.
#
#   make [KDIR=...] [KERNEL=6.1] [W=1]   build vnic.ko here
#   make demo               build, boot a VM, show vnic moving traffic
#   make check              build W=1, checkpatch, KUnit, end-to-end and the
#                           kernel's selftests (twice: the second time with
#                           swiotlb=force)
#   make check-debug [TESTS=...]  end-to-end + alloc-failure tests on the
#                           debug kernel (KASAN, lockdep, kmemleak,
#                           DMA-API), and the selftest hw/pp_alloc_fail.py
#                           on the fault-injection kernel (the same
#                           without the slow checkers)
#   make check-6.1          build W=1 and every end-to-end test on Debian's
#                           6.1 (make check runs a subset of them)
#   make check-fresh        a new user's make demo, make kunit, make e2e and
#                           make dkms-install in a fresh Debian 12 chroot
#                           (scripts/fresh.sh)
#   make dkms-install       (root) vnic's source into /usr/src/vnic-VERSION,
#                           built and installed by DKMS for every kernel
#                           with headers; make dkms-remove undoes it
#   make soak [SOAK_MIN=30] the reconfiguration stress for SOAK_MIN minutes,
#                           boot after boot, on the plain and debug kernels
#   make bench              vnic against veth in one guest boot
#   make profile            perf profile of the guest under bulk TCP
#   make journey [PKT=icmp|tcp|udp]  boot a VM and follow one packet and
#                           its reply through stack, driver and card
#   make kunit | e2e | checkpatch   one stage of make check
#   make e2e TESTS=00-load  only some end-to-end tests
#   make e2e KERNEL=6.1     the end-to-end tests in a guest of Debian's 6.1
#   make selftests [TESTS=ping.py]  the kernel's NIC driver selftests in
#                           the VM (a stage of make check)
#   make xsk-selftest [XSK_ARGS="-m zc"]  the kernel's AF_XDP selftest
#                           (test_xsk.sh -i vnic0) in the VM
#   make deps               install dependencies (apt-get)
#   make clean              remove build output from the tree

KERNEL ?=
KDIR ?= $(shell scripts/kdir.sh $(KERNEL))
TESTS ?=

.PHONY: all modules deps deps-build check check-debug soak bench profile demo kunit e2e checkpatch clean help
.PHONY: selftests journey

all: modules

modules: deps-build
	@test -n "$(KDIR)" || { echo "no kernel build directory found; pass KDIR=..." >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

deps:
	scripts/deps.sh

# A plain `make` needs only a compiler and headers, not QEMU and the rest.
deps-build:
	scripts/deps.sh --build $(if $(filter command line environment,$(origin KDIR)),$(KDIR))

check: deps
	scripts/check.sh

check-debug: deps
	scripts/check.sh --debug $(TESTS)

.PHONY: check-6.1
check-6.1: deps
	scripts/check.sh --kernel 6.1

# DKMS: vnic's source under /usr/src, built for every kernel with headers.
.PHONY: dkms-install dkms-remove
dkms-install:
	scripts/dkms.sh install

dkms-remove:
	scripts/dkms.sh remove

# Needs nothing installed here but debootstrap, which fresh.sh installs.
.PHONY: check-fresh
check-fresh:
	scripts/fresh.sh

demo: deps
	scripts/demo.sh

soak: deps
	scripts/soak.sh

bench: deps
	scripts/bench.sh

profile: deps
	scripts/profile.sh

PKT ?= icmp
journey: deps
	scripts/journey.sh $(PKT)

kunit: deps
	scripts/kunit.sh

e2e: deps
	scripts/e2e.sh $(if $(KERNEL),--kernel $(KERNEL)) $(TESTS)

checkpatch: deps
	scripts/checkpatch.sh

selftests: deps
	scripts/selftests.sh $(TESTS)

.PHONY: xsk-selftest
xsk-selftest: deps
	VNIC_XSK_ARGS="$(XSK_ARGS)" scripts/xsk-selftest.sh

# Needs nothing installed: Kbuild's output, found by name. Builds for the VM
# and the KUnit kernel live in the cache (~/.cache/vnic), not here.
clean:
	find . -type f -not -path './.git/*' \( \
		-name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.a' -o -name '*.dwo' -o -name '.*.d' \
		-o -name 'modules.order' -o -name 'Module.symvers' \
		-o -name '*.symversions' -o -name '*.tmp' \) -print -delete
	rm -rf .tmp_versions

help:
	@awk 'NR >= 3 && !/^#/ { exit } NR >= 3' Makefile | sed 's/^# \{0,1\}//'
