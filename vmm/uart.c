// SPDX-License-Identifier: GPL-2.0
/*
 * An 8250/16550A UART on MMIO (one byte per register, reg-shift 0), as
 * much as Linux's 8250 driver and console use: THR, IER, IIR/FCR, LCR with
 * the divisor latch, MCR, LSR, MSR, SCR. Transmission is instant (THR and
 * the shift register are always empty), there is no input. The interrupt
 * is level-triggered, as kvmtool's hw/serial.c: raised while IER asks for
 * THRE, which the driver clears once it has nothing left to send.
 */
#include <stdio.h>
#include <string.h>
#include <linux/serial_reg.h>

#include "boot.h"

#define LINE_MAX_LEN	256

static struct {
	pthread_mutex_t lock;
	struct vm *vm;
	void (*line_fn)(const char *line);
	uint8_t ier, lcr, mcr, fcr, scr, dll, dlm;
	bool irq;
	size_t len;
	char line[LINE_MAX_LEN + 1];
} uart = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void uart_emit_line(void)
{
	uart.line[uart.len] = '\0';
	uart.line_fn(uart.line);
	uart.len = 0;
}

static void uart_putc(uint8_t c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		uart_emit_line();
		return;
	}
	uart.line[uart.len++] = c;
	if (uart.len == LINE_MAX_LEN)
		uart_emit_line();
}

/* What IIR reports: the one pending source (only THRE can be) */
static uint8_t uart_iir(void)
{
	uint8_t fifo = uart.fcr & UART_FCR_ENABLE_FIFO ? 0xc0 : 0;

	return fifo | (uart.ier & UART_IER_THRI ? UART_IIR_THRI : UART_IIR_NO_INT);
}

static void uart_update_irq(void)
{
	bool level = !(uart_iir() & UART_IIR_NO_INT);

	if (level != uart.irq)
		gic__set_spi(uart.vm, LINUX_UART_SPI, level);
	uart.irq = level;
}

static uint8_t uart_read(unsigned int reg)
{
	bool dlab = uart.lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RX:
		return dlab ? uart.dll : 0;
	case UART_IER:
		return dlab ? uart.dlm : uart.ier;
	case UART_IIR:
		return uart_iir();
	case UART_LCR:
		return uart.lcr;
	case UART_MCR:
		return uart.mcr;
	case UART_LSR:
		/* Both the holding and the shift register are always empty */
		return UART_LSR_TEMT | UART_LSR_THRE;
	case UART_MSR:
		/* Carrier, data set ready and clear to send: a cable is in */
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	case UART_SCR:
		return uart.scr;
	}
	return 0;
}

static void uart_write(unsigned int reg, uint8_t val)
{
	bool dlab = uart.lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_TX:
		if (dlab)
			uart.dll = val;
		else if (!(uart.mcr & UART_MCR_LOOP))
			uart_putc(val);
		break;
	case UART_IER:
		if (dlab)
			uart.dlm = val;
		else
			uart.ier = val & 0x0f;
		break;
	case UART_FCR:
		uart.fcr = val & UART_FCR_ENABLE_FIFO;
		break;
	case UART_LCR:
		uart.lcr = val;
		break;
	case UART_MCR:
		uart.mcr = val;
		break;
	case UART_SCR:
		uart.scr = val;
		break;
	}
}

bool uart__mmio(struct vcpu *v, uint64_t addr, uint8_t *data, uint32_t len,
		bool is_write)
{
	unsigned int reg = addr - LINUX_UART_BASE;

	(void)v;
	if (addr < LINUX_UART_BASE || addr >= LINUX_UART_BASE + LINUX_UART_SIZE)
		return false;
	if (reg > UART_SCR) {
		/* Outside the 8 registers: RAZ/WI */
		if (!is_write)
			memset(data, 0, len);
		return true;
	}
	pthread_mutex_lock(&uart.lock);
	if (is_write) {
		uart_write(reg, data[0]);
		uart_update_irq();
	} else {
		memset(data, 0, len);
		data[0] = uart_read(reg);
	}
	pthread_mutex_unlock(&uart.lock);
	return true;
}

void uart__init(struct vm *vm, void (*line_fn)(const char *line))
{
	uart.vm = vm;
	uart.line_fn = line_fn;
	uart__reset();
}

void uart__reset(void)
{
	pthread_mutex_lock(&uart.lock);
	uart.ier = uart.lcr = uart.mcr = uart.fcr = uart.scr = 0;
	uart.dll = uart.dlm = 0;
	if (uart.irq)
		gic__set_spi(uart.vm, LINUX_UART_SPI, false);
	uart.irq = false;
	pthread_mutex_unlock(&uart.lock);
}

void uart__flush(void)
{
	pthread_mutex_lock(&uart.lock);
	if (uart.len)
		uart_emit_line();
	pthread_mutex_unlock(&uart.lock);
}
